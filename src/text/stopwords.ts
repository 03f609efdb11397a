/**
 * Words too common in paper titles and abstracts to find anything by
 * themselves. They still count when scoring; they just never bring in
 * candidates, and they are never "corrected" into other words.
 */
export const stopwords: ReadonlySet<string> = new Set(
  `a an and are as at be but by can do does for from has have how in into is it its
  of on or our that the their them then there these this those to towards toward under
  using via vs was we were what when where which while who why will with without`
    .split(/\s+/)
    .filter(Boolean),
);
