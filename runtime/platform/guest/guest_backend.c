/*
 * guest_backend.c - the calls of guest.h: each dispatches to the
 * backend's table, and a missing operation answers EOPNOTSUPP.
 */
#include <errno.h>

#include "runtime/platform/guest/guest.h"

int
guest_space_create(const struct guest_ops *ops,
    const struct guest_space_config *cfg, struct guest_space **out)
{
	return (ops->space_create ? ops->space_create(cfg, out) : EOPNOTSUPP);
}

void
guest_space_destroy(struct guest_space *gs)
{
	if (gs->ops->space_destroy)
		gs->ops->space_destroy(gs);
}

int
guest_space_fork(struct guest_space *gs, struct guest_space **out)
{
	return (gs->ops->space_fork ? gs->ops->space_fork(gs, out) :
				      EOPNOTSUPP);
}

int
guest_thread_fork(struct guest_thread *gt, struct guest_space **out,
    struct guest_thread **outth)
{
	return (gt->ops->thread_fork ? gt->ops->thread_fork(gt, out, outth) :
				       EOPNOTSUPP);
}

int
guest_space_control(struct guest_space *gs, struct guest_thread *via)
{
	return (gs->ops->space_control ? gs->ops->space_control(gs, via) : 0);
}

int
guest_space_pid(struct guest_space *gs)
{
	return (gs->ops->space_pid ? gs->ops->space_pid(gs) : -1);
}

int
guest_map(struct guest_space *gs, struct guest_thread *via,
    const struct guest_map_op *ops, int n)
{
	return (gs->ops->map ? gs->ops->map(gs, via, ops, n) : EOPNOTSUPP);
}

int
guest_read(struct guest_space *gs, struct guest_thread *via, uint64_t addr,
    void *buf, size_t len)
{
	return (gs->ops->read ? gs->ops->read(gs, via, addr, buf, len) :
				EOPNOTSUPP);
}

int
guest_write(struct guest_space *gs, struct guest_thread *via, uint64_t addr,
    const void *buf, size_t len)
{
	return (gs->ops->write ? gs->ops->write(gs, via, addr, buf, len) :
				 EOPNOTSUPP);
}

int
guest_write_fill(struct guest_space *gs, struct guest_thread *via,
    uint64_t addr, size_t len, guest_fill_fn *fill, void *arg, size_t *moved)
{
	*moved = 0;
	return (gs->ops->write_fill ?
		gs->ops->write_fill(gs, via, addr, len, fill, arg, moved) :
		EOPNOTSUPP);
}

int
guest_thread_create(struct guest_space *gs, struct guest_thread **out)
{
	return (gs->ops->thread_create ? gs->ops->thread_create(gs, out) :
					 EOPNOTSUPP);
}

void
guest_thread_destroy(struct guest_thread *gt)
{
	if (gt->ops->thread_destroy)
		gt->ops->thread_destroy(gt);
}

int
guest_run(struct guest_thread *gt, struct guest_regs *regs,
    struct guest_event *ev)
{
	return (gt->ops->run ? gt->ops->run(gt, regs, ev) : EOPNOTSUPP);
}

void
guest_interrupt(struct guest_thread *gt)
{
	if (gt->ops->interrupt)
		gt->ops->interrupt(gt);
}

int
guest_fpu_get(struct guest_thread *gt, void *buf, size_t len, size_t *size)
{
	return (gt->ops->fpu_get ? gt->ops->fpu_get(gt, buf, len, size) :
				   EOPNOTSUPP);
}

int
guest_fpu_set(struct guest_thread *gt, const void *buf, size_t len)
{
	return (gt->ops->fpu_set ? gt->ops->fpu_set(gt, buf, len) : EOPNOTSUPP);
}
