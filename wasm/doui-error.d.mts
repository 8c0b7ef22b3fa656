// The error class every doui browser module throws (declared with the browser module's API).
export { DouiError, type DouiProblem } from './doui.mjs';
