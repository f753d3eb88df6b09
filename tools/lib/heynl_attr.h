/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the object files of tools/lib (heynl_races.c, heynl_cache.c,
 * ...): attribute policies of exact sizes and the "which attributes came"
 * mask. libnl checks a policy's minimum length by type and its maxlen for
 * every type, so the fixed-size entries below take exactly their size.
 */
#ifndef HEYNL_ATTR_H
#define HEYNL_ATTR_H

#include <stddef.h>
#include <stdint.h>
#include <netlink/attr.h>

#define HEYNL_POL_U8 { .type = NLA_U8, .maxlen = sizeof(uint8_t) }
#define HEYNL_POL_U16 { .type = NLA_U16, .maxlen = sizeof(uint16_t) }
#define HEYNL_POL_U32 { .type = NLA_U32, .maxlen = sizeof(uint32_t) }
#define HEYNL_POL_U64 { .type = NLA_U64, .maxlen = sizeof(uint64_t) }
#define HEYNL_POL_ADDR { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 }
/* a NUL-terminated string of at most len bytes before its NUL */
#define HEYNL_POL_STRING(len) { .type = NLA_STRING, .maxlen = (len) + 1 }

/* Bit 1 << i for each tb[i] present, 1 <= i <= max (max below 32). */
static inline uint32_t heynl_present(struct nlattr **tb, int max)
{
	uint32_t mask = 0;
	int i;

	for (i = 1; i <= max && i < 32; i++)
		if (tb[i])
			mask |= 1u << i;
	return mask;
}

/*
 * An address attribute into addr[16]: 0, or -EPROTO when its length is
 * not the family's.
 */
int heynl_get_addr(struct nlattr *a, uint16_t family, uint8_t addr[16]);

/* A u32 attribute and the member of an object that holds it. */
struct heynl_u32_field {
	int attr;
	size_t off;		/* offsetof() the uint32_t member */
};

/* Each present tb[field.attr] into its member of obj. */
void heynl_get_u32s(struct nlattr **tb, const struct heynl_u32_field *f,
		    size_t n, void *obj);
/* Each member whose attribute is in present as an attribute of msg. */
int heynl_put_u32s(struct nl_msg *msg, const struct heynl_u32_field *f,
		   size_t n, const void *obj, uint32_t present);

#endif /* HEYNL_ATTR_H */
