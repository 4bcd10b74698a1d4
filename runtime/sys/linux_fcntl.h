/*
 * linux_fcntl.h - open(2) flags, fcntl(2) commands and descriptor flags of
 * the Linux x86-64 ABI, with an LT_ prefix so that they never clash with a
 * host header.
 */
#ifndef RUNTIME_SYS_LINUX_FCNTL_H
#define RUNTIME_SYS_LINUX_FCNTL_H

#define LT_O_ACCMODE   00000003
#define LT_O_RDONLY    00000000
#define LT_O_WRONLY    00000001
#define LT_O_RDWR      00000002
#define LT_O_CREAT     00000100
#define LT_O_EXCL      00000200
#define LT_O_NOCTTY    00000400
#define LT_O_TRUNC     00001000
#define LT_O_APPEND    00002000
#define LT_O_NONBLOCK  00004000
#define LT_O_DIRECTORY 00200000
#define LT_O_NOFOLLOW  00400000
#define LT_O_CLOEXEC   02000000

#define LT_F_DUPFD	   0
#define LT_F_GETFD	   1
#define LT_F_SETFD	   2
#define LT_F_GETFL	   3
#define LT_F_SETFL	   4
#define LT_F_DUPFD_CLOEXEC 1030
#define LT_FD_CLOEXEC	   1

#define LT_AT_FDCWD	       (-100)
#define LT_AT_SYMLINK_NOFOLLOW 0x100
#define LT_AT_REMOVEDIR	       0x200
#define LT_AT_EMPTY_PATH       0x1000

#endif /* RUNTIME_SYS_LINUX_FCNTL_H */
