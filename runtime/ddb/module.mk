# runtime/ddb/module.mk
