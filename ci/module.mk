# ci/module.mk - continuous integration helpers.
#
# "make lint" (in the GNUmakefile) runs ci/lint.sh on LINT_SRCS; "make
# format" rewrites the same files as .clang-format says, which is the fix
# for the formatting part of lint.

.PHONY: format
format:
	$(if $(strip $(LINT_SRCS)),clang-format -i $(LINT_SRCS),@:)
