// ogcard.mjs: the Open Graph and Twitter image tags of a page's cards, read
// from the manifest `ogcard build --manifest FILE --base-url URL` writes.
// No dependencies; works in Astro, Next.js, Gatsby, Eleventy and Node.
//
//   import manifest from "../data/ogcard.json";
//   import { ogcardTags } from "./ogcard.mjs";
//   const tags = ogcardTags(manifest, { url: "/posts/x/", site: "https://example.org" });
//   // [{ property: "og:image", content: "https://example.org/og/posts/x.png" }, ...]
//
// The page is found by `source` (the post's path relative to the content
// folder) when given, else by `url` (its URL path). `site` makes card URLs
// that the manifest holds as paths ("/og/x.png") absolute. A page without
// cards gives [].

export function ogcardPage(manifest, { url, source } = {}) {
  return (source && manifest.sources?.[source]) || (url && manifest.pages?.[url]) || null;
}

export function ogcardTags(manifest, opts = {}) {
  const page = ogcardPage(manifest, opts);
  if (!page || !page.cards?.length) return [];
  const abs = (u) => (opts.site ? new URL(u, opts.site).href : u);
  const tags = [];
  for (const c of page.cards) {
    const u = abs(c.url);
    tags.push({ property: "og:image", content: u });
    if (u.startsWith("https://")) tags.push({ property: "og:image:secure_url", content: u });
    tags.push(
      { property: "og:image:type", content: c.type },
      { property: "og:image:width", content: String(c.width) },
      { property: "og:image:height", content: String(c.height) },
      { property: "og:image:alt", content: c.alt },
    );
  }
  tags.push(
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:image", content: abs(page.image.url) },
    { name: "twitter:image:alt", content: page.image.alt },
  );
  return tags;
}
