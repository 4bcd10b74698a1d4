# suites/module.mk
