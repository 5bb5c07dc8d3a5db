package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/store"
)

// runUser: kefuboard user add --name N --role owner|agent [--shop S --agent A]
// [--password P | password on stdin], and user passwd --name N.
func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		return errors.New("用法: kefuboard user add --name NAME --role owner|agent [--shop 店铺 --agent 客服名] [--password P]\n       kefuboard user passwd --name NAME [--password P]\n（不给 --password 时从标准输入读取一行）")
	}
	sub := args[0]
	fs, db := flags("user "+sub, env)
	name := fs.String("name", "", "用户名")
	role := fs.String("role", store.RoleOwner, "角色：owner（店主）或 agent（客服）")
	shop := fs.String("shop", "", "客服账号：所属店铺")
	agent := fs.String("agent", "", "客服账号：数据中的客服名称")
	pw := fs.String("password", "", "密码（至少 8 位）；为空时从标准输入读取")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := required("name", *name); err != nil {
		return err
	}
	if *pw == "" {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("请用 --password 给出密码，或从标准输入输入一行")
		}
		*pw = strings.TrimRight(line, "\r\n")
	}
	if sub != "passwd" {
		if err := auth.CheckUsername(strings.TrimSpace(*name)); err != nil {
			return err
		}
	}
	hash, err := auth.HashPassword(*pw)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "passwd" {
		u, err := st.UserByName(ctx, *name)
		if err != nil {
			return fmt.Errorf("用户 %s: %w", *name, err)
		}
		if err := st.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已更新 %s 的密码\n", u.Username)
		return nil
	}
	var agentID int64
	if *role == store.RoleAgent {
		if err := required("shop", *shop, "agent", *agent); err != nil {
			return err
		}
		sh, err := st.ShopByName(ctx, *shop)
		if err != nil {
			return err
		}
		a, err := st.AgentByName(ctx, sh.ID, *agent)
		if err != nil {
			return fmt.Errorf("店铺 %s 的数据中没有客服 %q: %w", sh.Name, *agent, err)
		}
		agentID = a.ID
	}
	u, err := st.CreateUser(ctx, *name, hash, *role, agentID)
	if errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("用户名 %s 已存在", *name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已创建%s账号 %s\n", map[string]string{"owner": "店主", "agent": "客服"}[u.Role], u.Username)
	return nil
}
