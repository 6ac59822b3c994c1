import { render } from 'preact';
import { openingSession } from './api';
import { App } from './app';
import './styles.css';

// Before the first render: the answer (preloaded by the page's HTML) is taken while the app renders.
void openingSession().catch(() => undefined);
const root = document.getElementById('app');
if (root) render(<App />, root);
