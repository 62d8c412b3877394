package io.maas.bench.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-turn conversations as a chat product sends them: each turn's prompt is the whole history
 * (system prompt, the user's turns, the answers so far). A few long system prompts are shared by the
 * conversations of a group of tenants; conversation {@code c} uses system prompt {@code c mod systemPrompts}.
 * Sizes are in characters: {@link #simulated} is 2–4k tokens a system prompt and 30–60 a turn at the
 * simulated engine's 4 characters a token; {@link #demoModel} is scaled to the demo model, whose tiny
 * vocabulary spends about one token a character, and to its 1,024-token slots. Deterministic for a seed.
 */
final class Workload {

    private static final String[] WORDS = {"policy", "invoice", "ledger", "tenant", "quota", "region", "replica", "model",
            "expert", "router", "token", "cache", "prefix", "latency", "budget", "contract", "audit", "review", "answer",
            "summary", "table", "customer", "support", "incident", "report", "service", "account", "order", "refund"};

    private final List<String> systemPrompts = new ArrayList<>();
    private final long seed;
    private final int turnCharsMin;
    private final int turnCharsMax;

    private Workload(int groups, long seed, int systemCharsMin, int systemCharsMax, int turnCharsMin, int turnCharsMax) {
        this.seed = seed;
        this.turnCharsMin = turnCharsMin;
        this.turnCharsMax = turnCharsMax;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < groups; i++) {
            systemPrompts.add("You are assistant " + i + " of a group of tenants. " + words(random,
                    random.nextInt(systemCharsMin, systemCharsMax + 1)));
        }
    }

    /** System prompts of 2–4k tokens, turns of 30–60, at 4 characters a token. */
    static Workload simulated(int groups, long seed) {
        return new Workload(groups, seed, 8000, 16000, 120, 240);
    }

    /** System prompts of 300–500 characters, turns of 30–60: about as many tokens on the demo model. */
    static Workload demoModel(int groups, long seed) {
        return new Workload(groups, seed, 300, 500, 30, 60);
    }

    /** The system prompt of conversation {@code c}, behind {@code salt} (a salt makes every block new to the engines). */
    String systemPrompt(int conversation, String salt) {
        return salt + " " + systemPrompts.get(conversation % systemPrompts.size());
    }

    /** The user's message of one turn. */
    String userTurn(int conversation, int turn) {
        SplittableRandom random = new SplittableRandom(seed * 31 + conversation * 1009L + turn);
        return "Turn " + turn + ": " + words(random, random.nextInt(turnCharsMin, turnCharsMax + 1)) + "?";
    }

    /** Words up to about {@code chars} characters. */
    private static String words(SplittableRandom random, int chars) {
        StringBuilder text = new StringBuilder(chars + 16);
        while (text.length() < chars) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return text.toString();
    }
}
