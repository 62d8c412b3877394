package io.maas.engine.runtime;

/** The prompt plus the output limit do not fit the context one request may use. */
public class ContextLengthExceededException extends RuntimeException {

    public ContextLengthExceededException(int promptTokens, int maxTokens, int contextPerRequest) {
        super("This model's context per request is " + contextPerRequest + " tokens, but the messages have "
                + promptTokens + " tokens and " + maxTokens + " more were requested for the completion. "
                + "Shorten the messages or lower max_tokens.");
    }
}
