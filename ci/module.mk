# ci/module.mk
