/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Node images: the in-memory form of a node the writer builds (see node_image.h). */
#include "pst/node_image.h"
#include "pstsync/errors.h"

#include <stdlib.h>
#include <string.h>

void ps_node_image_clear(ps_node_image *img)
{
	size_t i;

	if (!img)
		return;
	for (i = 0; i < img->block_count; i++)
		free(img->blocks[i].data);
	free(img->blocks);
	for (i = 0; i < img->sub_count; i++)
		ps_node_image_clear(&img->subs[i].image);
	free(img->subs);
	memset(img, 0, sizeof(*img));
}

int ps_node_image_add_block(ps_node_image *img, const void *data, size_t size)
{
	ps_node_block *grown;
	uint8_t *copy;

	if (size == 0 || size > PS_NODE_BLOCK_MAX)
		return ps_error_set(PS_EINVAL, "a data block of %lu bytes does not fit a PST block",
			(unsigned long)size);
	copy = malloc(size);
	if (!copy)
		return ps_error_set(PS_ENOMEM, "out of memory");
	grown = realloc(img->blocks, (img->block_count + 1) * sizeof(*grown));
	if (!grown) {
		free(copy);
		return ps_error_set(PS_ENOMEM, "out of memory");
	}
	memcpy(copy, data, size);
	img->blocks = grown;
	img->blocks[img->block_count].data = copy;
	img->blocks[img->block_count].size = size;
	img->blocks[img->block_count].bid = 0;
	img->block_count++;
	return PS_OK;
}

int ps_node_image_add_shared(ps_node_image *img, uint64_t bid, size_t size)
{
	ps_node_block *grown;

	if (!bid || size == 0 || size > PS_NODE_BLOCK_MAX)
		return ps_error_set(PS_EINVAL, "a shared block 0x%llx of %lu bytes is not possible",
			(unsigned long long)bid, (unsigned long)size);
	grown = realloc(img->blocks, (img->block_count + 1) * sizeof(*grown));
	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	img->blocks = grown;
	img->blocks[img->block_count].data = NULL;
	img->blocks[img->block_count].size = size;
	img->blocks[img->block_count].bid = bid;
	img->block_count++;
	return PS_OK;
}

int ps_node_image_from_buffer(ps_node_image *img, const void *data, size_t size)
{
	const uint8_t *p = data;
	int rc;

	while (size > 0) {
		size_t n = size < PS_NODE_BLOCK_MAX ? size : PS_NODE_BLOCK_MAX;
		rc = ps_node_image_add_block(img, p, n);
		if (rc != PS_OK)
			return rc;
		p += n;
		size -= n;
	}
	return PS_OK;
}

int ps_node_image_add_sub(ps_node_image *img, uint32_t nid, ps_node_image *sub)
{
	ps_subnode_image *grown;
	size_t pos = img->sub_count;

	while (pos > 0 && img->subs[pos - 1].nid > nid)
		pos--;
	if (pos > 0 && img->subs[pos - 1].nid == nid)
		return ps_error_set(PS_EEXISTS, "subnode 0x%x is there already", nid);
	grown = realloc(img->subs, (img->sub_count + 1) * sizeof(*grown));
	if (!grown)
		return ps_error_set(PS_ENOMEM, "out of memory");
	img->subs = grown;
	memmove(&img->subs[pos + 1], &img->subs[pos], (img->sub_count - pos) * sizeof(*grown));
	img->subs[pos].nid = nid;
	img->subs[pos].image = *sub;
	memset(sub, 0, sizeof(*sub));
	img->sub_count++;
	return PS_OK;
}

size_t ps_node_image_size(const ps_node_image *img)
{
	size_t i, n = 0;

	for (i = 0; i < img->block_count; i++)
		n += img->blocks[i].size;
	return n;
}
