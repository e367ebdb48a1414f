import { GlobalRegistrator } from '@happy-dom/global-registrator';

/**
 * A browser-like DOM (happy-dom) in this node:test process, for the component tests
 * (`*.test.tsx`). Import it first — before React or Testing Library — because
 * @testing-library/dom binds `screen` to `document.body` when it loads. See decision 055.
 */
if (!('happyDOM' in globalThis)) {
  GlobalRegistrator.register({ url: 'http://localhost/', width: 1280, height: 900 });
}
