/* The IPC, notification and device system calls (locus/ipc.h). */
#include "locus/ipc.h"

#include "locus/syscall_i386.h"

int endpoint_create(void)
{
	return syscall0(SYS_ENDPOINT_CREATE);
}

int notification_create(void)
{
	return syscall0(SYS_NOTIFICATION_CREATE);
}

int cap_derive(int slot, unsigned rights, uint32_t badge)
{
	return cap_derive_to(slot, rights, badge, 0);
}

int cap_derive_to(int slot, unsigned rights, uint32_t badge, int dest)
{
	return syscall5(SYS_CAP_DERIVE, (uint32_t)slot, rights, badge, (uint32_t)dest, 0);
}

int ipc_send(int endpoint, unsigned flags)
{
	return syscall2(SYS_IPC_SEND, (uint32_t)endpoint, flags);
}

int ipc_recv(int endpoint, unsigned flags)
{
	return syscall2(SYS_IPC_RECV, (uint32_t)endpoint, flags);
}

int ipc_call(int endpoint)
{
	return syscall1(SYS_IPC_CALL, (uint32_t)endpoint);
}

int ipc_reply(void)
{
	return syscall0(SYS_IPC_REPLY);
}

int ipc_reply_recv(int endpoint)
{
	return syscall1(SYS_IPC_REPLY_RECV, (uint32_t)endpoint);
}

int notify_signal(int notification, uint32_t bits)
{
	return syscall2(SYS_NOTIFY_SIGNAL, (uint32_t)notification, bits);
}

int notify_wait(int notification)
{
	return syscall1(SYS_NOTIFY_WAIT, (uint32_t)notification);
}

int notify_poll(int notification)
{
	return syscall1(SYS_NOTIFY_POLL, (uint32_t)notification);
}

int irq_bind(int irq, int notification, uint32_t bits)
{
	return syscall3(SYS_IRQ_BIND, (uint32_t)irq, (uint32_t)notification, bits);
}

int io_in(int ports, unsigned offset)
{
	return syscall2(SYS_IO_IN, (uint32_t)ports, offset);
}

int io_out(int ports, unsigned offset, uint8_t value)
{
	return syscall3(SYS_IO_OUT, (uint32_t)ports, offset, value);
}
