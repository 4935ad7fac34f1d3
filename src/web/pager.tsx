// "Previous · Page 2 of 5 · Next" under a paged list; the strings come translated from the page's own catalog.
export interface PagerLabels {
  nav: string;
  previous: string;
  next: string;
  /** "Page 2 of 5", already filled in. */
  pageOf: string;
}

export function Pager({ path, query, page, pages, labels }: { path: string; query: string; page: number; pages: number; labels: PagerLabels }) {
  if (pages <= 1) return null;
  const href = (n: number) => `${path}?${query ? `${query}&` : ''}page=${n}`;
  return (
    <nav aria-label={labels.nav} class="margin-y-2">
      <p>
        {page > 1 && <a href={href(page - 1)}>{labels.previous}</a>}
        {page > 1 && ' · '}
        <span aria-current="page">{labels.pageOf}</span>
        {page < pages && ' · '}
        {page < pages && <a href={href(page + 1)}>{labels.next}</a>}
      </p>
    </nav>
  );
}
