/*
 * Capabilities as user code sees them: small integers naming slots of
 * the task's capability table, each with rights. Slot 0 is never used, so
 * 0 can mean "no capability".
 */
#ifndef LOCUS_UAPI_CAP_H
#define LOCUS_UAPI_CAP_H

#define CAP_SLOTS 256
#define CAP_NULL 0

/*
 * Slots the user runtime reserves by convention (the kernel gives them no
 * meaning): the name service's endpoint, inherited by every program its
 * spawner starts, and the console endpoints the runtime looks up there.
 */
#define CAP_SLOT_NAMES 255
#define CAP_SLOT_CONSOLE 254
#define CAP_SLOT_CONSOLE_INPUT 253
#define CAP_SLOT_RUNTIME_FIRST 253

#define CAP_RIGHT_SEND (1u << 0)	/* send or call through an endpoint; signal */
#define CAP_RIGHT_RECEIVE (1u << 1)	/* receive from an endpoint; wait on a notification */
#define CAP_RIGHT_GRANT (1u << 2)	/* pass capabilities in a message */
#define CAP_RIGHT_CONTROL (1u << 3)	/* join/kill a thread, wait for/kill a task */
#define CAP_RIGHTS_ALL 0xFu

#endif
