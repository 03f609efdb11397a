/**
 * Words too common in paper titles and abstracts to find anything by
 * themselves. They still count when scoring; they just never bring in
 * candidates, and they are never "corrected" into other words.
 *
 * The last line is what a question adds around its topic ("when should a model grow during
 * pretraining", "do gans actually learn the distribution"): rare enough in papers to outweigh
 * the topic's own words, and in no title as its point. Not "just", "been", "also" or "about":
 * titles are named by them ("Just Image Transformers", "Been There, Done That").
 */
export const stopwords: ReadonlySet<string> = new Set(
  `a an and are as at be but by can do does for from has have how in into is it its
  of on or our that the their them then there these this those to towards toward under
  using via vs was we were what when where which while who why will with without
  should would could during actually really`
    .split(/\s+/)
    .filter(Boolean),
);
