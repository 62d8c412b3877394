/**
 * Server-sent events as the OpenAI streaming API uses them: {@code data:} events separated by a
 * blank line, {@code :} comment lines (keep-alives), and a final {@code data: [DONE]}.
 */
package io.maas.api.sse;
