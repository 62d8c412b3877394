package io.maas.engine.llamacpp;

import io.maas.engine.runtime.GenerationListener;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes the pieces llama.cpp generates, one token each, to a listener as the chain of thought, the answer's text or
 * function calls, by the markers the prompt set up ({@link ToolPrompt}):
 * <ul>
 *   <li>with thinking on, every piece is chain of thought ({@link GenerationListener#reasoning}) until the one that
 *       holds {@code </think>};</li>
 *   <li>a call {@code tool_choice} required ({@link Mode#FORCED_CALL}): the whole answer is the call's JSON
 *       {@code {"name": …, "arguments": …}} (the grammar puts the name first); the call is handed on as soon as its name
 *       is known, then its arguments piece by piece as they are generated (the object's closing brace held back until
 *       the next piece shows it was not the last);</li>
 *   <li>functions offered ({@link Mode#CALLS}): text until a piece holding {@code <tool_call>}, then the call's JSON
 *       until {@code </tool_call>}, handed on as a call at once.</li>
 * </ul>
 * Every piece is exactly one {@code token} or {@code reasoning} call, so that the listener counts what was generated;
 * the pieces of a call are tokens with empty text. A call cut off by the output limit, or whose JSON does not parse,
 * is not handed on (the generation then ends as {@code length} or {@code stop}, and the log says so).
 */
final class AnswerRouter {

    private static final Logger log = LoggerFactory.getLogger(AnswerRouter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String THINK_CLOSE = "</think>";
    /** The start of a required call, up to its arguments. */
    private static final Pattern CALL_HEAD = Pattern.compile("^\\s*\\{\\s*\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,\\s*\"arguments\"\\s*:");
    /** The end of a required call: the closing brace of the object around the arguments, and what space follows. */
    private static final Pattern CALL_TAIL = Pattern.compile("}\\s*$");

    /** What the answer may hold besides text. */
    enum Mode { TEXT, FORCED_CALL, CALLS }

    private final GenerationListener listener;
    private final Mode mode;
    private boolean thinking;
    private StringBuilder call;
    private int calls;
    private int reasoningTokens;
    /** Of a required call: where its arguments start in {@link #call} (-1 until its name is known), and how much of them was handed on. */
    private int argumentsAt = -1;
    private int argumentsSent;

    AnswerRouter(GenerationListener listener, Mode mode, boolean thinking) {
        this.listener = listener;
        this.mode = mode;
        this.thinking = thinking;
        this.call = mode == Mode.FORCED_CALL ? new StringBuilder() : null;
    }

    /** One generated token's text. */
    void piece(String text) throws IOException {
        if (thinking) {
            int end = text.indexOf(THINK_CLOSE);
            if (end >= 0) {
                thinking = false;
                text = text.substring(0, end);
            }
            reasoningTokens++;
            listener.reasoning(text);
            return;
        }
        if (mode == Mode.FORCED_CALL) {
            call.append(text);
            listener.token("");
            streamCall();
            return;
        }
        if (call != null) {
            int close = mode == Mode.CALLS ? text.indexOf(ToolPrompt.CALL_CLOSE) : -1;
            call.append(close >= 0 ? text.substring(0, close) : text);
            listener.token("");
            if (close >= 0) {
                handOn(call.toString());
                call = null;
            }
            return;
        }
        int open = mode == Mode.CALLS ? text.indexOf(ToolPrompt.CALL_OPEN) : -1;
        if (open < 0) {
            listener.token(text);
            return;
        }
        listener.token(text.substring(0, open));
        call = new StringBuilder(text.substring(open + ToolPrompt.CALL_OPEN.length()));
    }

    /** The pieces that were chain of thought. */
    int reasoningTokens() {
        return reasoningTokens;
    }

    /** The generation ended: a required call is handed on now. Returns whether any call was. */
    boolean finish() throws IOException {
        if (mode == Mode.FORCED_CALL) {
            streamCall();
            if (argumentsAt >= 0 && parses(call.toString())) {
                calls++;
            } else {
                log.info("The required function call was cut off by the output limit; it ends unfinished");
            }
        } else if (call != null) {
            log.info("A function call was cut off by the output limit; it is not returned");
        }
        call = null;
        return calls > 0;
    }

    /** Hands on what is new of a required call: its name once known, then its arguments but a closing brace that may be the last. */
    private void streamCall() throws IOException {
        if (argumentsAt < 0) {
            Matcher head = CALL_HEAD.matcher(call);
            if (!head.find()) {
                return;
            }
            argumentsAt = head.end();
            listener.toolCall(0, newCallId(), JSON.readTree("\"" + head.group(1) + "\"").stringValue(), "");
        }
        String arguments = call.substring(argumentsAt);
        String ready = CALL_TAIL.matcher(arguments).replaceFirst("");
        if (ready.length() > argumentsSent) {
            listener.toolCall(0, null, null, ready.substring(argumentsSent));
            argumentsSent = ready.length();
        }
    }

    private static boolean parses(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    private static String newCallId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private void handOn(String text) throws IOException {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text.strip());
        } catch (JacksonException e) {
            log.info("The model's function call is not JSON ({}); it is not returned", e.getOriginalMessage());
            return;
        }
        JsonNode name = parsed.path("name");
        if (!name.isString()) {
            log.info("The model's function call names no function; it is not returned");
            return;
        }
        JsonNode arguments = parsed.path("arguments");
        int index = calls++;
        listener.toolCall(index, newCallId(), name.stringValue(), "");
        listener.toolCall(index, null, null, arguments.isMissingNode() ? "{}" : JSON.writeValueAsString(arguments));
    }
}
