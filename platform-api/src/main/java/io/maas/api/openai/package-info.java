/**
 * OpenAI-compatible wire types with DeepSeek's additions ({@code reasoning_content},
 * {@code prompt_cache_hit_tokens}, {@code prompt_cache_miss_tokens}, {@code reasoning_tokens}),
 * shared by the gateway and the engine adapter so both speak exactly the same JSON.
 *
 * <p>Records are serialized with snake_case names and without null members; unknown members are
 * ignored when reading, so newer clients and engines stay compatible.
 */
package io.maas.api.openai;
