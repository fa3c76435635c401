import { createRouter } from '@tanstack/react-router'
import { ConvexReactClient } from 'convex/react'
import { ConvexQueryClient } from '@convex-dev/react-query'
import { QueryClient } from '@tanstack/react-query'
import { routeTree } from './routeTree.gen'

export function getRouter() {
  const convex = new ConvexReactClient((import.meta as any).env.VITE_CONVEX_URL!)
  const convexQueryClient = new ConvexQueryClient(convex)
  const queryClient = new QueryClient()
  convexQueryClient.connect(queryClient)
  return createRouter({ routeTree, context: { queryClient, convexClient: convex, convexQueryClient } })
}
