package io.maas.gateway.relay;

import io.maas.api.openai.ChatCompletionRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated chat request: the typed view the gateway reasons about, and the client's JSON as sent,
 * unknown members included, which is what the engine receives.
 */
record ParsedRequest(ChatCompletionRequest request, ObjectNode body) {
}
