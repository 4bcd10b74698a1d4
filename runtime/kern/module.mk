# runtime/kern/module.mk
