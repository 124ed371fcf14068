import { RpcError } from '../src/jsonrpc.js'

/** The RpcError `act` throws or rejects with; anything else fails the test. */
export async function rpcError(act: () => unknown): Promise<RpcError> {
  try {
    await act()
  } catch (err) {
    if (err instanceof RpcError) return err
    throw err
  }
  throw new Error('expected an RpcError')
}
