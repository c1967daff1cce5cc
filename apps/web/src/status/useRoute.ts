import { useEffect, useState } from 'react';

export type Route = 'trade' | 'status';

const parse = (): Route => (location.hash.replace(/^#\/?/, '').split(/[?/]/)[0] === 'status' ? 'status' : 'trade');

/** Hash routing: `#/status` is the status page, anything else the trading screen. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
