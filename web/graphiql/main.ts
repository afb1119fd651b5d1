import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_QUERY } from './default-query';

const httpUrl = new URL('/graphql', window.location.href).toString();
const wsUrl = httpUrl.replace(/^http/, 'ws');

// The toolkit opens one graphql-ws socket per subscription and sends the
// header editor's contents as its connection params, where the server reads
// `Authorization` or `x-api-key` (see credentialsFromConnectionParams).
const fetcher = createGraphiQLFetcher({ url: httpUrl, subscriptionUrl: wsUrl });

const container = document.getElementById('graphiql');
if (!container) throw new Error('missing #graphiql');
createRoot(container).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: DEFAULT_QUERY,
    // Empty until signed in: a placeholder token would make the server refuse `login` itself.
    defaultHeaders: '{}',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: 'headers',
  }),
);
