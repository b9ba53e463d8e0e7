/** A nominal type: a ChannelUuid can never be passed where a CallId is meant. */
export type Brand<T, B extends string> = T & { readonly __brand: B }
