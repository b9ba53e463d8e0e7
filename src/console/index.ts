/** The agent console and supervisor web pages (static files) and the router that serves them. */
export { consoleRouter, CONSOLE_FILES } from './console-router.ts'
