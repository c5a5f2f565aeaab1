/**
 * Whether the Create bucket dialog is open. The bucket list owns the dialog; other places (the
 * quick start) open it through here.
 */
export const createBucketDialog = $state<{ open: boolean }>({ open: false })
