# images/module.mk
