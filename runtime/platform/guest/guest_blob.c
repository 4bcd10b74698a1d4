/*
 * guest_blob.c - the systrap stub as bytes in the kernel: the flat binary
 * that module.mk builds from guest_stub.c and guest_stub_entry.S, linked
 * at STUB_BASE.  guest_systrap.c copies it there before the first stub is
 * created.
 */
#include "runtime/platform/guest/guest_systrap.h"

/*
 * module.mk names the blob.  Without it (cppcheck) the blob is empty and
 * the backend's setup fails with ENOEXEC.
 */
#ifndef GUEST_STUB_BIN
#define GUEST_STUB_BIN "/dev/null"
#endif

__asm__(".pushsection .rodata\n"
	".balign 4096\n"
	".globl guest_stub_blob\n"
	"guest_stub_blob:\n"
	".incbin \"" GUEST_STUB_BIN "\"\n"
	".globl guest_stub_blob_end\n"
	"guest_stub_blob_end:\n"
	".popsection\n");
