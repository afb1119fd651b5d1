/** What a first-time visitor finds in the editor: sign in, then a query and a live subscription. */
export const DEFAULT_QUERY = `# Sign in to get a token, then paste it into the Headers tab below as
#   { "Authorization": "Bearer <token>" }
# (a partner app sends { "x-api-key": "<key>" } instead).
# Subscriptions run over graphql-ws with the same headers.

mutation SignIn {
  login(email: "admin@demo.local", password: "demo1234") {
    token
    expiresAt
    user { fullName role }
  }
}

query Me {
  me { fullName role }
}

subscription LiveOrders {
  orderEvents {
    cursor
    platform
    status
    order { externalId channel { name } }
  }
}
`;
