package io.plinth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Relays TCP connections from a loopback port to a server, and can take the server away and bring
 * it back in an instant: {@link #cut()} closes the listening port and every relayed connection, so
 * clients see what a stopped process gives them (connections reset, then refused); {@link
 * #restore()} listens on the same port again. A test outage of Keycloak costs a restart of Keycloak
 * (about 20 s) otherwise.
 */
public final class TcpRelay implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;

  private TcpRelay(InetSocketAddress target, int port) {
    this.target = target;
    this.port = port;
  }

  /** Starts relaying from a free loopback port to {@code host:port}. */
  public static TcpRelay to(String host, int port) {
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      TcpRelay relay = new TcpRelay(new InetSocketAddress(host, port), probe.getLocalPort());
      probe.close();
      relay.restore();
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The loopback port clients connect to. */
  public int port() {
    return port;
  }

  /** Listens again, on the same port; connections are relayed as before. */
  private Thread acceptor;

  public synchronized void restore() {
    if (listener != null) {
      return;
    }
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      listener = socket;
      acceptor = daemon("tcp-relay-accept-" + port, () -> accept(socket));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops listening and closes every relayed connection, as if the server behind had died. */
  public synchronized void cut() {
    ServerSocket socket = listener;
    listener = null;
    closeQuietly(socket);
    joinAcceptor();
    for (Socket connection : open) {
      closeQuietly(connection);
    }
    open.clear();
  }

  @Override
  public void close() {
    cut();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException closed) {
        return;
      }
      Socket server = new Socket();
      try {
        server.connect(target, 5_000);
      } catch (IOException refused) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      open.add(client);
      open.add(server);
      if (socket.isClosed()) { // cut while connecting: this one goes too
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      daemon("tcp-relay-up-" + port, () -> pump(client, server));
      daemon("tcp-relay-down-" + port, () -> pump(server, client));
    }
  }

  /** Copies one direction until either side closes, then closes both. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException closed) {
      // the other pump, or cut(), closed the connection
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static Thread daemon(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Waits for the accepting thread to leave {@code accept()}: until it has, the JDK may defer the
   * listening socket's close, and a connection made meanwhile would still be accepted.
   */
  private void joinAcceptor() {
    Thread thread = acceptor;
    acceptor = null;
    if (thread == null) {
      return;
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (IOException ignored) {
      // closing is all that is asked
    }
  }
}
