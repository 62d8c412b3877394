package io.maas.bench.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-turn conversations as a chat product sends them: each turn's prompt is the whole history
 * (system prompt, the user's turns, the answers so far). A few long system prompts (2–4k tokens,
 * 4 characters a token) are shared by the conversations of a group of tenants; conversation
 * {@code c} uses system prompt {@code c mod systemPrompts}. Deterministic for a seed.
 */
final class Workload {

    private static final String[] WORDS = {"policy", "invoice", "ledger", "tenant", "quota", "region", "replica", "model",
            "expert", "router", "token", "cache", "prefix", "latency", "budget", "contract", "audit", "review", "answer",
            "summary", "table", "customer", "support", "incident", "report", "service", "account", "order", "refund"};

    private final List<String> systemPrompts = new ArrayList<>();
    private final long seed;

    Workload(int groups, long seed) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < groups; i++) {
            int tokens = random.nextInt(2000, 4001);
            systemPrompts.add("You are assistant " + i + " of a group of tenants. " + words(random, tokens));
        }
    }

    /** The system prompt of conversation {@code c}, behind {@code salt} (a salt makes every block new to the engines). */
    String systemPrompt(int conversation, String salt) {
        return salt + " " + systemPrompts.get(conversation % systemPrompts.size());
    }

    /** The user's message of one turn: 30 to 60 tokens. */
    String userTurn(int conversation, int turn) {
        SplittableRandom random = new SplittableRandom(seed * 31 + conversation * 1009L + turn);
        return "Turn " + turn + ": " + words(random, random.nextInt(30, 61)) + "?";
    }

    /** About {@code tokens} tokens of words (a word with its space is about 8 characters: 2 tokens). */
    private static String words(SplittableRandom random, int tokens) {
        StringBuilder text = new StringBuilder(tokens * 4);
        while (text.length() < tokens * 4) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return text.toString();
    }
}
