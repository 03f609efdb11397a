/**
 * Words too common in paper titles and abstracts to find anything by themselves, and the
 * words of a question's asking ("can you tell me about …", "hey, does anyone …", "i think
 * someone …", "smth on … pls thx", "the … paper", "papers on …"), which say nothing of the
 * paper asked for: rare in titles, those weighed much, and "Tell Me About Koalas" came first;
 * "smth" was read as "smith"; "paper", in half the abstracts but not in every one, left out
 * those without it ("graphsage paper" missed GraphSAGE's). Not
 * those that name papers too: "please" ("Attention, Please!"), "pls" (partial least squares),
 * "u" (U-Net), "idk" (a dataset's). They count only for a title that has the query as
 * typed, stop words and all (rerank's `asTypedBonus`); they never bring in candidates, and are
 * never "corrected" into other words.
 */
export const stopwords: ReadonlySet<string> = new Set(
  `a an and are as at be but by can do does for from has have how in into is it its
  of on or our that the their them then there these this those to towards toward under
  using via vs was we were what when where which while who why will with without
  you your me my about hey hello anyone someone anybody somebody i
  plz thanks thx smth sth btw tbh paper papers`
    .split(/\s+/)
    .filter(Boolean),
);
