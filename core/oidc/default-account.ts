/**
 * The Kubernetes `default` service account as a subject. Its own module, importing nothing, so the
 * spec (core/spec) and the trust analysis (core/iam) read the same fact without importing each other.
 */

/** The name of the service account every pod of a namespace runs as when it names none. */
export const KUBERNETES_DEFAULT_SERVICE_ACCOUNT = "default";

/**
 * The namespace whose `default` Kubernetes service account a subject names, else undefined: the
 * service-account token's `system:serviceaccount:NS:default`, or the SPIFFE ID SPIRE's Kubernetes
 * workload attestor gives it, `spiffe://TRUST-DOMAIN/ns/NS/sa/default`. Every pod of NS that names
 * no service account runs as it, so trusting it trusts all of them: not one workload.
 */
export function defaultServiceAccountNamespace(subject: string): string | undefined {
  const k8s = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject);
  if (k8s) return namespaceIfDefault(k8s[1], k8s[2]);
  const spiffe = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/i.exec(subject);
  return spiffe ? namespaceIfDefault(spiffe[1], spiffe[2]) : undefined;
}

/** `namespace` when `serviceAccount` is its default one, else undefined. */
export function namespaceIfDefault(namespace: string, serviceAccount: string): string | undefined {
  return serviceAccount === KUBERNETES_DEFAULT_SERVICE_ACCOUNT ? namespace : undefined;
}
