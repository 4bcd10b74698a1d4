/*
 * guest_memory.c - guest memory through the systrap backend: batches of
 * mmap/munmap/mprotect executed by the stub, and copies to and from guest
 * memory, either by the host (process_vm_readv/writev) or by the stub
 * through the bounce buffer of a slot.
 *
 * A request goes to the space's control thread, or to a stopped guest
 * thread (the "via" argument) which is awake in its signal handler and
 * answers sooner than the control thread asleep on its futex.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "runtime/platform/guest/guest_systrap.h"

#define PAGE_MASK 0xfffULL

bool
guest_range_ok(uint64_t addr, uint64_t len)
{
	return (len != 0 && addr < GUEST_ADDR_MAX &&
	    len <= GUEST_ADDR_MAX - addr &&
	    (addr + len <= GUEST_STUB_BASE || addr >= GUEST_STUB_END));
}

/* The mailbox that serves a request and its tid; sp->lock held if ctl. */
struct channel {
	struct systrap_space *sp;
	struct stub_mailbox *mb;
	char *bounce;
	uint32_t tid;
	bool locked;
};

static int
channel_open(struct guest_space *gs, struct guest_thread *via,
    struct channel *ch)
{
	struct systrap_space *sp = (struct systrap_space *)gs;
	struct systrap_thread *th = (struct systrap_thread *)via;

	ch->sp = sp;
	if (th != NULL) {
		if (th->sp != sp || th->dead ||
		    __atomic_load_n(&th->running, __ATOMIC_SEQ_CST))
			return (EINVAL);
		ch->mb = th->mb;
		ch->tid = th->tid;
		ch->locked = false;
	} else {
		pthread_mutex_lock(&sp->lock);
		ch->mb = sp->ctl;
		ch->tid = (uint32_t)sp->pid;
		ch->locked = true;
	}
	ch->bounce = (char *)ch->mb + SLOT_BOUNCE_OFF;
	return (sp->dead ? ECHILD : 0);
}

static void
channel_close(struct channel *ch)
{
	if (ch->locked)
		pthread_mutex_unlock(&ch->sp->lock);
}

/* Runs the n ops already in ch->mb->ops; returns the first error. */
static int
channel_ops(struct channel *ch, uint32_t n)
{
	uint32_t i;
	int error;

	ch->mb->nops = n;
	systrap_handover(ch->mb, ch->tid, STUB_CMD_OPS);
	if ((error = systrap_await(ch->sp, &ch->mb->state, ch->tid)) != 0) {
		ch->sp->dead = true;
		return (error);
	}
	for (i = 0; i < n; i++)
		if (ch->mb->ops[i].result != 0)
			return (ch->mb->ops[i].result);
	return (0);
}

static bool
fd_kept(const struct systrap_space *sp, int fd)
{
	int i;

	for (i = 0; i < sp->cfg.nfds; i++)
		if (sp->cfg.fds[i] == fd)
			return (true);
	return (false);
}

/* Translates one operation; EINVAL if it is not acceptable. */
static int
translate(const struct systrap_space *sp, const struct guest_map_op *op,
    struct stub_op *so)
{
	if ((op->addr & PAGE_MASK) != 0 || (op->len & PAGE_MASK) != 0 ||
	    !guest_range_ok(op->addr, op->len) ||
	    (op->prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0)
		return (EINVAL);
	memset(so, 0, sizeof(*so));
	so->a[0] = op->addr;
	so->a[1] = op->len;
	so->a[2] = (uint64_t)op->prot;
	switch (op->kind) {
	case GUEST_MAP_ANON:
		so->op = STUB_OP_MMAP;
		so->a[3] = MAP_PRIVATE | MAP_ANONYMOUS;
		so->a[4] = (uint64_t)-1;
		return (0);
	case GUEST_MAP_SHARED:
	case GUEST_MAP_PRIVATE:
		if (!fd_kept(sp, op->fd) || (op->offset & PAGE_MASK) != 0)
			return (EBADF);
		so->op = STUB_OP_MMAP;
		so->a[3] = op->kind == GUEST_MAP_SHARED ? MAP_SHARED :
							  MAP_PRIVATE;
		so->a[4] = (uint64_t)op->fd;
		so->a[5] = op->offset;
		return (0);
	case GUEST_UNMAP:
		so->op = STUB_OP_MUNMAP;
		return (0);
	case GUEST_PROTECT:
		so->op = STUB_OP_MPROTECT;
		return (0);
	}
	return (EINVAL);
}

int
systrap_map(struct guest_space *gs, struct guest_thread *via,
    const struct guest_map_op *ops, int n)
{
	struct channel ch;
	uint32_t k;
	int i, error;

	if (n < 0)
		return (EINVAL);
	if ((error = channel_open(gs, via, &ch)) != 0) {
		channel_close(&ch);
		return (error);
	}
	for (i = 0; i < n && error == 0; i += (int)k) {
		for (k = 0; k < STUB_MAX_OPS && i + (int)k < n; k++)
			if ((error = translate(ch.sp, &ops[i + (int)k],
				 &ch.mb->ops[k])) != 0)
				break;
		if (k > 0) {
			int e = channel_ops(&ch, k);

			error = e != 0 ? e : error;
		}
	}
	channel_close(&ch);
	return (error);
}

/* Copies through the stub, one bounce buffer at a time. */
static int
stub_copy(struct guest_space *gs, struct guest_thread *via, uint64_t addr,
    char *buf, size_t len, bool in)
{
	struct stub_op *op;
	struct channel ch;
	size_t done, n;
	int error;

	if ((error = channel_open(gs, via, &ch)) != 0) {
		channel_close(&ch);
		return (error);
	}
	op = &ch.mb->ops[0];
	for (done = 0; done < len && error == 0; done += n) {
		n = len - done < SLOT_BOUNCE_SIZE ? len - done :
						    SLOT_BOUNCE_SIZE;
		memset(op, 0, sizeof(*op));
		op->op = in ? STUB_OP_COPYIN : STUB_OP_COPYOUT;
		op->a[0] = addr + done;
		op->a[1] = n;
		if (!in)
			memcpy(ch.bounce, buf + done, n);
		if ((error = channel_ops(&ch, 1)) == 0 && in)
			memcpy(buf + done, ch.bounce, n);
	}
	channel_close(&ch);
	return (error);
}

static int
host_copy(struct guest_space *gs, uint64_t addr, void *buf, size_t len, bool in)
{
	struct systrap_space *sp = (struct systrap_space *)gs;
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)addr, len };
	ssize_t r;

	r = in ? process_vm_readv(sp->pid, &local, 1, &remote, 1, 0) :
		 process_vm_writev(sp->pid, &local, 1, &remote, 1, 0);
	if (r < 0)
		return (errno == ESRCH ? ECHILD : EFAULT);
	return ((size_t)r == len ? 0 : EFAULT);
}

int
systrap_read(struct guest_space *gs, struct guest_thread *via, uint64_t addr,
    void *buf, size_t len)
{
	if (len == 0)
		return (0);
	if (addr >= GUEST_ADDR_MAX || len > GUEST_ADDR_MAX - addr ||
	    (addr < GUEST_STUB_END && addr + len > GUEST_STUB_BASE))
		return (EFAULT);
	if (via != NULL)
		return (stub_copy(gs, via, addr, buf, len, true));
	return (host_copy(gs, addr, buf, len, true));
}

int
systrap_write(struct guest_space *gs, struct guest_thread *via, uint64_t addr,
    const void *buf, size_t len)
{
	if (len == 0)
		return (0);
	if (addr >= GUEST_ADDR_MAX || len > GUEST_ADDR_MAX - addr ||
	    (addr < GUEST_STUB_END && addr + len > GUEST_STUB_BASE))
		return (EFAULT);
	if (via != NULL)
		return (stub_copy(gs, via, addr, (char *)(uintptr_t)buf, len,
		    false));
	return (host_copy(gs, addr, (void *)(uintptr_t)buf, len, false));
}
