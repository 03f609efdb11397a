import { describe, expect, it } from "vitest";
import { count, truncate } from "../src/text/format.ts";
import { greekVariants } from "../src/text/greek.ts";
import { foldText, tidyText, titleKey } from "../src/text/normalize.ts";
import { quotingWord, withStraightQuotes, wordsInQuotes } from "../src/text/quotes.ts";
import { spellingVariants, spellingVariantsOfStart } from "../src/text/spelling.ts";
import { compoundForms, indexedText } from "../src/text/tokens.ts";
import { typingSlips } from "../src/text/typing.ts";

describe("count", () => {
  it.each([
    [1, "1 paper"],
    [3, "3 papers"],
    [41_710, "41,710 papers"], // as /stats writes it, so the console banner says the same
    [1_234_567, "1,234,567 papers"],
  ])("writes %d as %j", (n, text) => {
    expect(count(n, "paper")).toBe(text);
  });
});

describe("truncate", () => {
  it("cuts between characters, never between the halves of one beyond the BMP", () => {
    expect(truncate("graph neural networks", 12)).toBe("graph neura…");
    expect(truncate("an 𝒪(n) method", 5)).toBe("an…");
    expect(truncate("an 𝒪(n) method", 6)).toBe("an 𝒪…");
    expect(truncate("ab🦙c", 4)).toBe("ab…");
  });

  it("cuts between characters as they read: a flag, a family, a letter and its accent stay whole", () => {
    expect(truncate("ab🇫🇷c", 5)).toBe("ab…");
    expect(truncate("ab👨‍👩‍👧c", 6)).toBe("ab…");
    expect(truncate("cafe\u0301s", 5)).toBe("caf…");
    expect(truncate("cafe\u0301s!", 6)).toBe("cafe\u0301…");
  });

  it("keeps characters whole far into a long text, where only a window around the cut is read", () => {
    const long = "é".repeat(1_000);
    expect(truncate(`${long}🇫🇷c`, 1_003)).toBe(`${long}…`);
    // One character longer than the window (a flag of 200 tags), cut where the window starts
    // between the halves of a tag: cut there, a half would be left alone.
    const tagged = `ab🏴${"\u{E0067}".repeat(200)}\u{E007F}c`;
    const cut = truncate(tagged, 302);
    expect(cut.length).toBeLessThan(302);
    expect(cut).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u,
    );
  });

  it("never ends on the backslash of an escape, which would escape nothing", () => {
    expect(truncate("\\*\\*\\*", 4)).toBe("\\*…");
    expect(truncate("a\\\\\\*bc", 5)).toBe("a\\\\…"); // an escaped backslash is whole
    expect(truncate("a\\\\\\*bc", 6)).toBe("a\\\\\\*…");
  });
});

describe("compoundForms", () => {
  it.each([
    ["Self-Supervised Pre-training of Vision Transformers", ["selfsupervised", "pretraining"]],
    ["M^3ViT: Mixture-of-Experts Vision Transformer", ["m3vit", "mixtureofexperts"]],
    [
      "FlashRNN and GFlowNets (GFNs), e.g. state-of-the-art",
      ["eg", "stateoftheart", "flash", "rnn", "flow", "nets"],
    ],
    ["(GNNs) (MoE) OP-GFNs U-Net++ 3.5-bit x_1,x_2", ["opgfns", "unet", "35bit", "x1x2"]],
    ["a- -b end- trailing hyphen- start", []],
    ["Graph\u00a0Mamba: NBSP-separated words", ["nbspseparated"]],
  ])("finds the glued and camel-case words of %j", (text, forms) => {
    expect(compoundForms(text)).toEqual(forms);
  });

  it.each([
    ["Café-Müller naïve-Bayes résumé", ["cafemuller", "naivebayes"]],
    ["𝐀𝐁-test and 𝑥-axis", ["abtest", "xaxis"]], // letters outside the BMP, folded by NFKD
    ["中文-English 東京Tower", ["中文english"]],
    ["ΣΑΣ-ΒΑΣ Σigma", ["σασβας"]], // lower-cased whole: the last sigma is final
  ])("reads text beyond ASCII the same way: %j", (text, forms) => {
    expect(compoundForms(text)).toEqual(forms);
  });

  it("puts the forms after the text for the index", () => {
    expect(indexedText("Pre-training GFlowNets")).toBe(
      "Pre-training GFlowNets pretraining flow nets",
    );
    expect(indexedText("plain words")).toBe("plain words");
  });

  it("tidies a paper's text: ligatures as the letters they join, as text copied from a PDF has them", () => {
    expect(tidyText(" eﬃcient\n  classiﬁcation by ﬁne-tuning ﬂows ")).toBe(
      "efficient classification by fine-tuning flows",
    );
  });

  it("tidies a paper's text: the glyph codes PDF text extraction leaves as their characters", () => {
    expect(
      tidyText(
        "classi(cid:12)cation is e(cid:14)cient at (cid:2)rst for prob(cid:173) lems and in(cid:3)uence, (cid:147)tempered(cid:148)",
      ),
    ).toBe("classification is efficient at first for problems and influence, “tempered”");
    // Not before anything but a lower-case letter, nor codes of no known meaning.
    expect(tidyText("an e(cid:15)-tube on an N(cid:2)N grid, K(cid:0)means")).toBe(
      "an e(cid:15)-tube on an N(cid:2)N grid, K(cid:0)means",
    );
  });

  it("tidies a paper's text: words broken across lines by a hyphen made whole", () => {
    // Two parts that are an English word together, as PDF text extraction leaves them.
    expect(tidyText("dif- ferent experi- ments; How- ever, algo-\n  rithms")).toBe(
      "different experiments; However, algorithms",
    );
    // A line wrapped after a compound's own hyphen, as the arXiv metadata wraps titles.
    expect(tidyText("Long-\n  term Self-\n  Supervised state-of-the-\n  art")).toBe(
      "Long-term Self-Supervised state-of-the-art",
    );
    // Not words that may be two, nor a prefix shared, nor parts of one letter, nor numbers.
    expect(
      tidyText("pre- and post-training, time-\n  and space-, high- dimensional, e- mail, GPT- 4"),
    ).toBe("pre- and post-training, time- and space-, high- dimensional, e- mail, GPT- 4");
  });

  it("tidies a paper's text: invisible characters out, as text copied from web pages has them", () => {
    expect(tidyText("Graph\u200bMamba: long\u00adrange \u2060 \ufeffgraphs")).toBe(
      "GraphMamba: longrange graphs",
    );
    // A soft hyphen before a line break (white space) broke one word across lines.
    expect(tidyText("prob\u00ad\n  lems")).toBe("problems");
    // Not the joiners that emoji sequences and some scripts need.
    expect(tidyText("👩\u200d🔬 می\u200cخواهم")).toBe("👩\u200d🔬 می\u200cخواهم");
  });
});

describe("foldText", () => {
  it.each([
    ["Graph-Mamba:  Towards…", "graph mamba towards"],
    ["  ASCII only, 3 words!  ", "ascii only 3 words"],
    ["Café Müller", "cafe muller"],
    ["ﬁne-tuning Ⅳ", "fine tuning iv"],
  ])("folds %j to %j", (text, folded) => {
    expect(foldText(text)).toBe(folded);
    expect(titleKey(text)).toBe(folded);
  });
});

describe("spellingVariants", () => {
  it.each([
    ["quantisation", ["quantization"]],
    ["quantizations", ["quantisations"]],
    ["optimised", ["optimized"]],
    ["analyse", ["analyze"]],
    ["analysers", ["analyzers"]],
    ["modelling", ["modeling"]],
    ["labeled", ["labelled"]],
    ["behaviour", ["behavior"]],
    ["colors", ["colours"]],
    ["centre", ["center"]],
    ["parameters", ["parametres"]],
    ["programme", ["program"]],
    ["histograms", ["histogrammes"]],
    ["catalogue", ["catalog"]],
    ["dialogs", ["dialogues"]],
    ["defence", ["defense"]],
    ["queuing", ["queueing"]],
    ["artefacts", ["artifacts"]],
  ])("%s ↔ %j", (word, variants) => {
    expect(spellingVariants(word)).toEqual(variants);
  });

  it.each([
    "four",
    "your",
    "tour",
    "rise",
    "wise",
    "filled",
    "smaller",
    "feeling",
    "analysis",
    "timber",
    "number",
    "blog",
    "dense",
  ])("leaves %s alone", (word) => {
    expect(spellingVariants(word)).toEqual([]);
  });
});

describe("spellingVariantsOfStart", () => {
  it.each([
    ["optimis", ["optimiz"]],
    ["normalisat", ["normalizat"]],
    ["optimiz", ["optimis"]],
    ["analys", ["analyz"]],
    ["minimiser", ["minimizer"]],
    ["modelli", ["modeli"]],
    ["queui", ["queuei"]],
    // What was typed starts these already, and more words beside ("colo" of "colon").
    ["colou", []],
    ["modell", []],
    ["spectra", []],
    ["rise", []],
  ])("%s → %j", (start, variants) => {
    expect(spellingVariantsOfStart(start)).toEqual(variants);
  });
});

describe("greekVariants", () => {
  it.each([
    ["delta", ["δ"]],
    ["δ", ["delta"]],
    ["alphadepth", ["αdepth"]],
    ["αdepth", ["alphadepth"]],
    ["epsilon", ["ε", "ϵ"]],
    ["ϕ", ["phi"]],
    ["pi", ["π"]],
    ["graph", []],
  ])("%s → %j", (word, variants) => {
    expect(greekVariants(word)).toEqual(variants);
  });
});

describe("typingSlips", () => {
  it("counts a letter left out, two swapped, a key beside the one meant, or pressed too, as one slip", () => {
    expect(typingSlips("wombat", "wombat")).toBe(0);
    expect(typingSlips("wmbat", "wombat")).toBe(1); // left out
    expect(typingSlips("wobmat", "wombat")).toBe(1); // swapped
    expect(typingSlips("wonbat", "wombat")).toBe(1); // "n" is beside "m"
    expect(typingSlips("wombbat", "wombat")).toBe(1); // doubled
    expect(typingSlips("wombsat", "wombat")).toBe(1); // "s" pressed with the "a" beside it
    expect(typingSlips("optimzaiton", "optimization")).toBe(2);
    expect(typingSlips("ojebct", "object")).toBe(2); // "b" typed two letters late
  });

  it("counts a letter no key near it explains as more than two slips", () => {
    expect(typingSlips("criminal", "critical")).toBeGreaterThan(2); // "m" for "t", "n" for "c"
    expect(typingSlips("wombpat", "wombat")).toBeGreaterThan(2); // "p" beside neither "b" nor "a"
    expect(typingSlips("aproximaton", "proximation")).toBeGreaterThan(2); // "a" before "p"
  });
});

describe("wordsInQuotes", () => {
  it("are the words between a quote mark and the next, of any kind", () => {
    expect([...wordsInQuotes(`"surgical" robotics`)]).toEqual(["surgical"]);
    expect([...wordsInQuotes("“Surgical Robotics” for „Nähte“ «suture»")]).toEqual([
      "surgical",
      "robotics",
      "nahte",
      "suture",
    ]);
    // A phone's keyboard may close a quote with the mark it opened it with.
    expect([...wordsInQuotes("”surgical” robotics")]).toEqual(["surgical"]);
  });

  it("are none for a quote mark without its pair, nor for apostrophes or single quotes", () => {
    expect([...wordsInQuotes(`"surgical robotics`)]).toEqual([]);
    expect([...wordsInQuotes(`a 27" screen`)]).toEqual([]);
    expect([...wordsInQuotes(`"a" b "c`)]).toEqual(["a"]);
    expect([...wordsInQuotes(`'surgical' models' outputs`)]).toEqual([]);
    expect([...wordsInQuotes(`""`)]).toEqual([]);
  });
});

describe("withStraightQuotes", () => {
  it("makes every double quote mark straight, and leaves apostrophes", () => {
    expect(withStraightQuotes('“graph” „mamba“ «agents» models\' "kv"')).toBe(
      '"graph" "mamba" "agents" models\' "kv"',
    );
  });
});

describe("quotingWord", () => {
  it("quotes the first part between spaces with the word, for an example", () => {
    expect(quotingWord("Surgical robotics", "surgical")).toBe(`"Surgical" robotics`);
    expect(quotingWord("grph-mamba models", "grph")).toBe(`"grph-mamba" models`);
    expect(quotingWord(`"a"-b b`, "b")).toBe(`"a"-b "b"`);
    expect(quotingWord("Schrödinger bridges", "schrodinger")).toBe(`"Schrödinger" bridges`);
    expect(quotingWord(`"a"-b`, "b")).toBe(`"b"`);
  });

  it("leaves out a quote mark without its pair, which quotes nothing", () => {
    // Else the word's part was passed over, and the example was the word alone: a topic other
    // than the one followed, which /topics add added beside it.
    expect(quotingWord(`"surgical robotics`, "surgical")).toBe(`"surgical" robotics`);
    expect(quotingWord(`“Surgical robotics`, "surgical")).toBe(`"Surgical" robotics`);
    expect(quotingWord(`surgical" robotics`, "surgical")).toBe(`"surgical" robotics`);
    expect(quotingWord(`"deep" surgical robotics "`, "surgical")).toBe(
      `"deep" "surgical" robotics`,
    );
  });
});
