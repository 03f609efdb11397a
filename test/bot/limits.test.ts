import { describe, expect, it } from "vitest";
import { embedLength, plain, withinMessageLimits } from "../../src/bot/limits.ts";
import { paperUrl } from "../../src/bot/render.ts";
import { pageTitles } from "../helpers.ts";

/** What Discord shows of an escape: a backslash before ASCII punctuation shows that character. */
const shown = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");

/** Markdown still acting in `markdown`, if any: a character of it or a pill's `<` not escaped, or a line's markup. */
function rawMarkup(markdown: string): string | undefined {
  for (let i = 0; i < markdown.length; i++) {
    const char = markdown[i] ?? "";
    if (char === "\\") i += 1;
    else if ("*_~|`[]".includes(char)) return `${char} at ${i}`;
    else if (/^<(?:[@#:/]|[ta]:|id:)/.test(markdown.slice(i))) return `a pill at ${i}`;
  }
  return /^ *(?:#|- |-#|>|\d+\.)/m.exec(markdown)?.[0];
}

/** A deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("plain", () => {
  it("escapes every markdown character and line markup, and shows the text as it is, on any text", () => {
    const random = rng(7);
    // Markdown's characters, the ones next to them that matter (spaces, digits, dots,
    // line breaks, URL and emoji parts) and ordinary letters.
    const alphabet = [
      "a",
      "b",
      "Z",
      " ",
      "  ",
      "\n",
      "\r\n",
      "-",
      "*",
      "_",
      "~",
      "|",
      "#",
      "`",
      "\\",
    ];
    alphabet.push("[", "]", "(", ")", ".", "1", "23", ":", "<", ">", "/", "é", "—");
    alphabet.push("@", "t:", "a:", "id:");
    for (let i = 0; i < 20_000; i++) {
      const length = Math.floor(random() * 12);
      const text = Array.from(
        { length },
        () => alphabet[Math.floor(random() * alphabet.length)] as string,
      ).join("");
      const escaped = plain(text);
      expect(rawMarkup(escaped), JSON.stringify(text)).toBeUndefined();
      expect(shown(escaped), JSON.stringify(text)).toBe(text);
    }
  });

  it("escapes a run of markdown characters whole, which escapeMarkdown left partly raw", () => {
    expect(plain("****x****")).toBe("\\*\\*\\*\\*x\\*\\*\\*\\*");
    expect(plain("a ```` b ```` c")).toBe("a \\`\\`\\`\\` b \\`\\`\\`\\` c");
    expect(plain("a ____ b ~~~ c |||")).toBe("a \\_\\_\\_\\_ b \\~\\~\\~ c \\|\\|\\|");
  });

  it("leaves a bare link as it is, but for its brackets", () => {
    // Discord reads no markdown in a link, and an escape would change where it goes.
    expect(plain("code at https://github.com/a/b_c_d, and __init__")).toBe(
      "code at https://github.com/a/b_c_d, and \\_\\_init\\_\\_",
    );
    // Nor any other character of a link: Discord keeps the backslash in it, and goes there.
    expect(plain("Data: https://www.cs.toronto.edu/~kriz/c*f|r`.html.")).toBe(
      "Data: https://www.cs.toronto.edu/~kriz/c*f|r`.html.",
    );
    // A link's last "." or ")" is the sentence's, for Discord: escaped as text, when it must be.
    expect(plain("(see https://x.y/a~b) and ~c~, https://x.y/d]")).toBe(
      "(see https://x.y/a~b) and \\~c\\~, https://x.y/d\\]",
    );
    // Nor is "https://*," a link for Discord (too short once its "," is the sentence's).
    expect(plain("a https://*, https://*")).toBe("a https://\\*, https://\\*");
    // Within a search result's [title](url), a raw bracket or "](" would end it for a link of its own.
    expect(plain("See https://x.y/](https://evil.example) **now**")).toBe(
      "See https://x.y/\\]\\(https://evil.example) \\*\\*now\\*\\*",
    );
  });

  it("leaves ordinary paper text as it is, and escapes what would format", () => {
    for (const title of Object.values(pageTitles).flat()) {
      expect(rawMarkup(plain(title)), title).toBeUndefined();
      expect(shown(plain(title)), title).toBe(title);
    }
    expect(plain("Scaling Laws for Neural Language Models")).toBe(
      "Scaling Laws for Neural Language Models",
    );
    expect(plain("3. Results: a 2-step (fast) method")).toBe(
      "3\\. Results: a 2-step (fast) method",
    );
    expect(plain("- item")).toBe("\\- item");
    // What escapeMarkdown leaves: quotes, small text, and mention or timestamp pills.
    expect(plain("> a quoted abstract")).toBe("\\> a quoted abstract");
    expect(plain("first line\n  -# tiny text")).toBe("first line\n  \\-# tiny text");
    expect(plain("Meet <t:1700000000:R>, <@80351110224678912> in <#123> <:e:1> <a:e:2>")).toBe(
      "Meet \\<t:1700000000:R>, \\<@80351110224678912> in \\<#123> \\<:e:1> \\<a:e:2>",
    );
    expect(plain("run </search:123> or see <id:customize>")).toBe(
      "run \\</search:123> or see \\<id:customize>",
    );
    expect(plain("x < y and a <b> tag")).toBe("x < y and a <b> tag");
    expect(plain("x_1 * y")).toBe("x\\_1 \\* y");
  });
});

describe("withinMessageLimits", () => {
  it("cuts embeds to 6,000 characters in all, the longest description first", () => {
    // /roundup preview of 25 papers for 25 topics of ~75 characters: 22 + 4,096 + 1,908.
    const preview = {
      title: "Next roundup (preview)",
      description: "p".repeat(4096),
      footer: { text: `Topics: ${"t".repeat(1900)}` },
    };
    const reply = withinMessageLimits({ embeds: [preview], content: "c".repeat(2500) });
    const [embed] = reply.embeds ?? [];
    expect(embedLength(embed ?? {})).toBe(6000);
    expect(embed?.description).toMatch(/^p{4069}…$/);
    expect(embed?.footer).toEqual(preview.footer);
    expect(reply.content).toMatch(/^c{1999}…$/);
    expect(preview.description).toHaveLength(4096); // the command's own reply is left as it was

    const two = withinMessageLimits({
      embeds: [{ description: "a".repeat(2500) }, { description: "b".repeat(4000) }],
    }).embeds;
    expect(two?.map((e) => e.description?.length)).toEqual([2500, 3500]);
  });

  it("cuts a list at a line's end, then footers and fields when descriptions are not enough", () => {
    const lines = Array.from(
      { length: 100 },
      (_, i) => `${i + 1}. **Paper ${i}** — “a topic they match”`,
    );
    const list = lines.join("\n"); // about 4,000 characters, with a footer of Discord's most
    expect(list.length + 2048).toBeGreaterThan(6000);
    const [cut] =
      withinMessageLimits({ embeds: [{ description: list, footer: { text: "f".repeat(2048) } }] })
        .embeds ?? [];
    expect(cut?.description?.endsWith("\n…")).toBe(true);
    const kept = cut?.description?.split("\n").slice(0, -1) ?? [];
    expect(kept).toEqual(lines.slice(0, kept.length));
    expect(embedLength(cut ?? {})).toBeLessThanOrEqual(6000);
    // As many lines as fit: the next one would pass 6,000.
    expect(embedLength(cut ?? {}) + 1 + (lines[kept.length]?.length ?? 0)).toBeGreaterThan(6000);

    const noDescription = withinMessageLimits({
      embeds: [
        { title: "t", footer: { text: "f".repeat(2048) } },
        { fields: Array.from({ length: 5 }, () => ({ name: "n", value: "v".repeat(1024) })) },
      ],
    }).embeds;
    const total = (noDescription ?? []).reduce((sum, e) => sum + embedLength(e), 0);
    expect(total).toBe(6000);
    expect(noDescription?.[0]?.footer?.text.endsWith("…")).toBe(true);
  });

  it("cuts each embed text to its own limit, even when all of them are within 6,000", () => {
    // /topics list of 25 topics of 100 characters, each doubled by its escapes.
    const topics = Array.from({ length: 25 }, (_, i) => `${i + 1}. ${plain("*_".repeat(50))}`);
    const list = ["<#1> follows 25 of at most 25 topics:", ...topics].join("\n");
    expect(list.length).toBeGreaterThan(4096);
    expect(list.length).toBeLessThan(6000);
    const [embed] = withinMessageLimits({ embeds: [{ description: list }] }).embeds ?? [];
    expect(embed?.description?.length).toBeLessThanOrEqual(4096);
    expect(embed?.description?.endsWith("\n…")).toBe(true);
    const listed = embed?.description?.split("\n").slice(0, -1) ?? [];
    expect(listed).toEqual(list.split("\n").slice(0, listed.length));
    // As many lines as fit: the next one would pass 4,096.
    const next = list.split("\n")[listed.length] ?? "";
    expect((embed?.description?.length ?? 0) + 1 + next.length).toBeGreaterThan(4096);

    const [cut] =
      withinMessageLimits({
        embeds: [
          {
            title: "t".repeat(300),
            footer: { text: "f".repeat(2100) },
            fields: Array.from({ length: 26 }, (_, i) => ({
              name: i === 1 ? "n".repeat(300) : `n${i}`,
              value: i === 0 ? "v".repeat(1100) : "v",
            })),
          },
        ],
      }).embeds ?? [];
    expect(cut?.title).toMatch(/^t{255}…$/);
    expect(cut?.footer?.text).toMatch(/^f{2047}…$/);
    expect(cut?.fields).toHaveLength(25);
    expect(cut?.fields?.[0]?.value).toMatch(/^v{1023}…$/);
    expect(cut?.fields?.[1]?.name).toMatch(/^n{255}…$/);
  });

  it("leaves a reply within the limits as it is", () => {
    const reply = { content: "hello", embeds: [{ title: "t", description: "d" }], ephemeral: true };
    expect(withinMessageLimits(reply)).toEqual(reply);
    expect(withinMessageLimits({ embeds: [] })).toEqual({ embeds: [] });
  });
});

describe("paperUrl", () => {
  it("stays within Discord's 2,048 characters for a long title in another script", () => {
    const title = `${"グラフニューラルネットワーク".repeat(21)}😀 end`; // 300 code points, 3 bytes each
    const url = paperUrl({ arxivId: null, title });
    expect(url.length).toBeLessThanOrEqual(2048);
    expect(decodeURIComponent(url.split("query=")[1] ?? "")).toBe(
      Array.from(title).slice(0, 150).join(""),
    );
    expect(paperUrl({ arxivId: "2401.00001", title })).toBe("https://arxiv.org/abs/2401.00001");
  });
});
