// The web UI's addresses, kept in the browser's history without a router library: navigate()
// pushes (or replaces) an address and tells every useLocation() to render again.
import { useEffect, useState } from 'react';

const EVENT = 'gatelog:navigate';

export interface Location {
  pathname: string;
  search: string;
}

function current(): Location {
  return { pathname: window.location.pathname, search: window.location.search };
}

/** Goes to `url` (same origin); `replace` rewrites the current history entry instead. */
export function navigate(url: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(EVENT));
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return loc;
}
