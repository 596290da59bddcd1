/*
 * Thread-specific data. The keys are slots of a table with a sequence
 * number each, odd while the key exists; each thread keeps, per slot, the
 * value it set and the sequence number it set it under. A deleted key's
 * slot, when reused, has a new number, so every thread's old value reads
 * as NULL without visiting any thread.
 */
#include "pthread_internal.h"

#include <errno.h>

struct key_slot {
	unsigned seq;			/* odd: in use */
	void (*destructor)(void *value);
};

static struct key_slot keys[PTHREAD_KEYS_MAX];
static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned seq_of(pthread_key_t key)
{
	return __atomic_load_n(&keys[key].seq, __ATOMIC_ACQUIRE);
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	if (!key)
		return EINVAL;
	pthread_mutex_lock(&keys_lock);
	for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (keys[k].seq % 2 == 0) {
			keys[k].destructor = destructor;
			__atomic_store_n(&keys[k].seq, keys[k].seq + 1, __ATOMIC_RELEASE);
			pthread_mutex_unlock(&keys_lock);
			*key = k;
			return 0;
		}
	}
	pthread_mutex_unlock(&keys_lock);
	return EAGAIN;
}

/* Runs no destructors (POSIX): values still set are simply forgotten. */
int pthread_key_delete(pthread_key_t key)
{
	int err = 0;

	if (key >= PTHREAD_KEYS_MAX)
		return EINVAL;
	pthread_mutex_lock(&keys_lock);
	if (keys[key].seq % 2 == 0) {
		err = EINVAL;
	} else {
		__atomic_store_n(&keys[key].seq, keys[key].seq + 1, __ATOMIC_RELEASE);
		keys[key].destructor = NULL;
	}
	pthread_mutex_unlock(&keys_lock);
	return err;
}

void *pthread_getspecific(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX)
		return NULL;
	unsigned seq = seq_of(key);
	struct pthread_specific *s = &pthread_self()->specific[key];

	return seq % 2 && s->seq == seq ? s->value : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= PTHREAD_KEYS_MAX)
		return EINVAL;
	unsigned seq = seq_of(key);
	struct pthread_specific *s = &pthread_self()->specific[key];

	if (seq % 2 == 0)
		return EINVAL;
	s->seq = seq;
	s->value = (void *)value;
	return 0;
}

/* The destructor of a live key, if self holds a value for it. */
static void (*destructor_for(struct pthread *self, pthread_key_t key))(void *)
{
	struct pthread_specific *s = &self->specific[key];
	void (*destructor)(void *) = NULL;

	if (!s->value || s->seq != seq_of(key) || s->seq % 2 == 0)
		return NULL;
	/* Under the lock, so that seq and destructor belong together. */
	pthread_mutex_lock(&keys_lock);
	if (keys[key].seq == s->seq)
		destructor = keys[key].destructor;
	pthread_mutex_unlock(&keys_lock);
	return destructor;
}

/*
 * POSIX: each non-NULL value with a destructor is set to NULL and the
 * destructor called with it; destructors may set values again, so the
 * pass is repeated while any ran, at most PTHREAD_DESTRUCTOR_ITERATIONS
 * times.
 */
void pthread_keys_run_destructors(struct pthread *self)
{
	for (int pass = 0; pass < PTHREAD_DESTRUCTOR_ITERATIONS; pass++) {
		bool ran = false;

		for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void (*destructor)(void *) = destructor_for(self, k);

			if (!destructor)
				continue;
			void *value = self->specific[k].value;

			self->specific[k].value = NULL;
			destructor(value);
			ran = true;
		}
		if (!ran)
			break;
	}
}
