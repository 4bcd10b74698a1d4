# runtime/platform/module.mk
