/**
 * Which tab of a function's detail is open (FunctionDetail.svelte). Kept here, not in the
 * detail, which is rebuilt for every function: the tab stays while the user goes from one
 * function to the next, and a newly created function opens on its code.
 */
export type DetailTab = 'code' | 'triggers' | 'test' | 'runs' | 'tools'

export const detailTab = $state<{ current: DetailTab }>({ current: 'code' })
