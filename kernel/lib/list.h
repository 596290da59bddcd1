/*
 * Intrusive doubly-linked lists: a struct list_node inside each element,
 * a struct list_node as the head (pointing at itself when empty).
 */
#ifndef LOCUS_LIB_LIST_H
#define LOCUS_LIB_LIST_H

#include <stdbool.h>

#include "lib/compiler.h"

struct list_node {
	struct list_node *next;
	struct list_node *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

static inline void list_init(struct list_node *head)
{
	head->next = head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

/* Is the node on some list? (nodes are reset by list_remove) */
static inline bool list_linked(const struct list_node *node)
{
	return node->next != NULL && node->next != node;
}

static inline void list_insert_between(struct list_node *node, struct list_node *prev,
				       struct list_node *next)
{
	node->prev = prev;
	node->next = next;
	prev->next = node;
	next->prev = node;
}

static inline void list_push_back(struct list_node *head, struct list_node *node)
{
	list_insert_between(node, head->prev, head);
}

static inline void list_remove(struct list_node *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	node->next = node->prev = node;
}

static inline struct list_node *list_pop_front(struct list_node *head)
{
	struct list_node *n = head->next;

	if (n == head)
		return NULL;
	list_remove(n);
	return n;
}

#define list_entry(node, type, member) container_of(node, type, member)

#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
