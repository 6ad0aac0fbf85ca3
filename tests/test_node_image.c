/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Tests of node images, the in-memory form of nodes the writer builds. */
#include "harness.h"
#include "pst/node_image.h"

#include <stdlib.h>
#include <string.h>

void test_node_image__buffer_cut_into_full_blocks(void)
{
	ps_node_image img;
	size_t sizes[] = { 0, 1, PS_NODE_BLOCK_MAX, PS_NODE_BLOCK_MAX + 1, 3 * PS_NODE_BLOCK_MAX + 7 };
	size_t i, k;
	uint8_t *data = malloc(3 * PS_NODE_BLOCK_MAX + 7);

	CHECK(data != NULL);
	for (i = 0; i < 3 * PS_NODE_BLOCK_MAX + 7; i++)
		data[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t off = 0;
		memset(&img, 0, sizeof(img));
		CHECK_OK(ps_node_image_from_buffer(&img, data, sizes[i]));
		CHECK_EQ_INT((sizes[i] + PS_NODE_BLOCK_MAX - 1) / PS_NODE_BLOCK_MAX, img.block_count);
		CHECK_EQ_INT(sizes[i], ps_node_image_size(&img));
		for (k = 0; k < img.block_count; k++) {
			CHECK(img.blocks[k].size <= PS_NODE_BLOCK_MAX);
			CHECK(memcmp(img.blocks[k].data, data + off, img.blocks[k].size) == 0);
			off += img.blocks[k].size;
		}
		ps_node_image_clear(&img);
	}
	free(data);
	memset(&img, 0, sizeof(img));
	CHECK_STATUS(PS_EINVAL, ps_node_image_add_block(&img, "x", PS_NODE_BLOCK_MAX + 1));
}

void test_node_image__subnodes_stay_sorted(void)
{
	static const uint32_t nids[] = { 0x8065, 0x671, 0x8025, 0x692, 0x80a5 };
	ps_node_image img, sub;
	size_t i;

	memset(&img, 0, sizeof(img));
	for (i = 0; i < 5; i++) {
		memset(&sub, 0, sizeof(sub));
		CHECK_OK(ps_node_image_add_block(&sub, &nids[i], sizeof(nids[i])));
		CHECK_OK(ps_node_image_add_sub(&img, nids[i], &sub));
		CHECK(sub.blocks == NULL);
	}
	memset(&sub, 0, sizeof(sub));
	CHECK_STATUS(PS_EEXISTS, ps_node_image_add_sub(&img, 0x692, &sub));
	CHECK_EQ_INT(5, img.sub_count);
	for (i = 1; i < img.sub_count; i++)
		CHECK(img.subs[i - 1].nid < img.subs[i].nid);
	for (i = 0; i < img.sub_count; i++)
		CHECK(memcmp(img.subs[i].image.blocks[0].data, &img.subs[i].nid, 4) == 0);
	ps_node_image_clear(&img);
	CHECK_EQ_INT(0, img.sub_count);
}
