#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `hotline` works with no build step.
// The import must be dynamic: a static one would be resolved before tsx is registered.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
