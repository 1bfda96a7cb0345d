import type { PropsWithChildren } from 'react';
import './app.css';

// The app shell has no state of its own: each page loads what it shows through the session.
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
