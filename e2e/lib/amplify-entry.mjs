// Bundled by esbuild for the Chromium half of the Amplify conformance suite: the unmodified aws-amplify,
// its auth functions on `window.amplify`.
import { Amplify } from 'aws-amplify';
import * as auth from 'aws-amplify/auth';

window.amplify = { configure: (config) => Amplify.configure(config), ...auth };
