# harness/module.mk
