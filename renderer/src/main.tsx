import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/create-client';
import { App } from './shell/app';
import './styles/global.css';
import { applyTheme, rememberedTheme } from './theme/apply-theme';

applyTheme(rememberedTheme());

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App client={createClient()} />
  </StrictMode>,
);
