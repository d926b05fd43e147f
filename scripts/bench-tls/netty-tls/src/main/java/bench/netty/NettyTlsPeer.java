package bench.netty;

import bench.common.Echo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.multipart.DiskAttribute;
import io.netty.handler.codec.http.multipart.DiskFileUpload;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.file.Path;

/**
 * The bench's Netty peer over TLS: {@code NettyPeer}'s pipeline (codec, expect-continue,
 * its echo handler) behind an {@code SslHandler} on the JDK provider, TLS 1.3 and 1.2,
 * the delegated tasks run in place as Netty does by default.
 *
 * <p>
 * Usage: {@code java -jar peer-netty-tls.jar PORT DIR CERT.pem KEY.pem}.
 */
public final class NettyTlsPeer {

	private NettyTlsPeer() {
	}

	public static void main(String[] args) throws Exception {
		int port = Echo.intArg(args, 0, "port");
		Path dir = Echo.dirArg(args);
		SslContext ssl = SslContextBuilder.forServer(new File(args[2]), new File(args[3]))
			.sslProvider(SslProvider.JDK)
			.protocols("TLSv1.3", "TLSv1.2")
			.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
					ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
					ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "http/1.1"))
			.build();
		DiskFileUpload.baseDirectory = dir.toString();
		DiskFileUpload.deleteOnExitTemporaryFile = false;
		DiskAttribute.baseDirectory = dir.toString();
		DiskAttribute.deleteOnExitTemporaryFile = false;
		NettyPeer.factory = new NettyPeer.FieldsInMemoryFactory(dir.toString());

		boolean epoll = Epoll.isAvailable();
		IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		int threads = Integer.getInteger("peer.threads", Runtime.getRuntime().availableProcessors());
		EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
		EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, io);
		Class<? extends ServerSocketChannel> channel = epoll ? EpollServerSocketChannel.class
				: NioServerSocketChannel.class;
		new ServerBootstrap().group(boss, workers)
			.channel(channel)
			.option(ChannelOption.SO_BACKLOG, 4096)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
					ch.pipeline().addLast(new HttpServerCodec(4096, 8192, NettyPeer.MAX_CHUNK));
					ch.pipeline().addLast(new HttpServerExpectContinueHandler());
					ch.pipeline().addLast(new NettyPeer.Handler());
				}
			})
			.bind("127.0.0.1", port)
			.sync();
		System.out.println("netty-tls listening on 127.0.0.1:" + port + " dir=" + dir + " transport="
				+ (epoll ? "epoll" : "nio") + " threads=" + threads);
	}

}
