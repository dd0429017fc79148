import { Link } from '../lib/router.tsx';
import { useTitle } from '../lib/use-title.ts';

export function NotFound() {
  useTitle('Not found');
  return (
    <main>
      <h1>Not found</h1>
      <p>
        No page here. <Link to="/">Back to the DAGs</Link>
      </p>
    </main>
  );
}
