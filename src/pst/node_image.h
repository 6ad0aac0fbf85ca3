/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * A node as the writer builds it in memory, before the NDB layer places it
 * in the file: its data as a list of blocks and its subnodes, each again a
 * node image. The LTP builders (ltp_write.h) produce these; the NDB
 * transaction (ndb_write.h) writes them as data blocks, XBLOCK/XXBLOCK trees
 * and SLBLOCK/SIBLOCK trees.
 *
 * The data is a list of blocks rather than one buffer because a heap-on-node
 * keeps one heap page in each data block: block boundaries are part of the
 * content. Each block holds at most PS_NODE_BLOCK_MAX bytes (8192 less the
 * 16-byte trailer). Plain streams (a large property value in a subnode) are
 * cut into full blocks by ps_node_image_from_buffer().
 */
#ifndef PSTSYNC_PST_NODE_IMAGE_H
#define PSTSYNC_PST_NODE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/** Most data bytes one block can hold (8192 - 16 bytes of trailer). */
#define PS_NODE_BLOCK_MAX 8176u

typedef struct ps_node_block {
	uint8_t *data;          /* owned; decoded (plain) bytes; NULL for a shared block
	                         * added by ps_node_image_add_shared() */
	size_t size;            /* 1 .. PS_NODE_BLOCK_MAX */
	uint64_t bid;           /* 0: a new block; else the store's block with these very
	                         * bytes, which the NDB writer shares (one more reference)
	                         * instead of writing a copy. 0 unless set after adding. */
} ps_node_block;

typedef struct ps_subnode_image ps_subnode_image;

typedef struct ps_node_image {
	ps_node_block *blocks;  /* owned; empty (count 0) for a node without data */
	size_t block_count;
	ps_subnode_image *subs; /* owned; sorted by nid, no duplicates */
	size_t sub_count;
} ps_node_image;

struct ps_subnode_image {
	uint32_t nid;           /* local to the parent node (e.g. 0x8025, or 0x692 for tables) */
	ps_node_image image;
};

/** Free everything an image owns and zero it; NULL-safe. */
void ps_node_image_clear(ps_node_image *img);

/**
 * Append the store's existing block @p bid of @p size bytes, to be shared
 * as it is (no copy of its bytes is held: such an image is for the NDB
 * writer, not for the *_open_image() readers).
 */
int ps_node_image_add_shared(ps_node_image *img, uint64_t bid, size_t size);

/** Cut @p size bytes into full blocks (copied). 0 bytes make no block. */
int ps_node_image_from_buffer(ps_node_image *img, const void *data, size_t size);

/** Append one block (copied); PS_EINVAL when larger than PS_NODE_BLOCK_MAX. */
int ps_node_image_add_block(ps_node_image *img, const void *data, size_t size);

/**
 * Add a subnode, keeping subs sorted; takes ownership of @p sub's contents
 * (and zeroes *sub). PS_EEXISTS when @p nid is there already.
 */
int ps_node_image_add_sub(ps_node_image *img, uint32_t nid, ps_node_image *sub);

/** Total data bytes of the image (not counting subnodes). */
size_t ps_node_image_size(const ps_node_image *img);

#endif
