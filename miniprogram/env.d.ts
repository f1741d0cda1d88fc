// env.js is written by the build (tools/build.ts): the gateway address of each version of the mini-program.
export declare const API_BASES: { develop: string; trial: string; release: string };
